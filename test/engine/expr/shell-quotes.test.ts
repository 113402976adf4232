import { describe, expect, it } from 'vitest';
import { ShellQuotes, type QuoteKind } from '../../../engine/expr/shell-quotes.js';
import { compileScript } from '../../../engine/expr/index.js';
import { CONTEXTS } from './helpers.js';

/** The quoting context at the end of `text`. */
function kindAfter(text: string): QuoteKind {
  const quotes = new ShellQuotes();
  quotes.feed(text);
  return quotes.kind();
}

describe('ShellQuotes', () => {
  it.each<[string, QuoteKind]>([
    ['echo ', 'plain'],
    ['echo "a ', 'double'],
    ["echo 'a ", 'single'],
    ["echo \"it's ", 'double'],
    ["echo \\'", 'plain'],
    ["echo $'a\\' ", 'ansi'],
    ["echo 'a' \"b\" ", 'plain'],
    ["# don't split me\nprintf '[%s]' \"", 'double'],
    ["echo x # it's a comment\necho \"", 'double'],
    ["echo a#b'", 'single'],
    ["echo \"$(echo 'a ", 'single'],
    ["echo \"$(echo 'a') ", 'double'],
    ['echo "`echo ', 'plain'],
    ["cat <<EOF\nit's ", 'heredoc'],
    ["cat <<'EOF'\nit's\nEOF\necho '", 'single'],
    ["cat <<-EOF\n\tit's\n\tEOF\necho \"", 'double'],
    ["cat <<<'here' ", 'plain'],
    ["cat <<'EOF'\nit's ", 'literal-heredoc'],
    ["cat <<\\EOF\ndon't\nEOF\necho \"", 'double'],
    ["echo $((1<<2)) '", 'single'],
    ["echo \"$(( (1+2) * 3 )) ", 'double'],
    ["echo \"$(case a in a) echo '", 'single'],
    ["echo \"$(case a in a) echo 'x';; esac) ", 'double'],
    ['echo showcase) ', 'plain'],
  ])('after %j the context is %s', (text, kind) => {
    expect(kindAfter(text)).toBe(kind);
  });
});

describe('compileScript quoting', () => {
  it('refuses an expression in a heredoc whose quoted delimiter expands nothing', () => {
    const { problems } = compileScript("cat <<'EOF'\n${{ inputs.x }}\nEOF", CONTEXTS);
    expect(problems).toEqual([
      { path: [], offset: 12, expression: 'inputs.x', message: "it stands in a heredoc with a quoted delimiter (<<'EOF'), where the shell expands nothing; write the delimiter unquoted (<<EOF)" },
    ]);
  });

  it('only names the variable for other interpreters: their quoting is not sh quoting', () => {
    expect(compileScript("const x = '${{ inputs.x }}';", CONTEXTS, 'other').script).toBe("const x = '${ARQ_EXPR_1}';");
  });

  it('keeps a value in double quotes after a comment with an apostrophe', () => {
    expect(compileScript("# don't split me\nprintf '[%s]\\n' \"${{ inputs.name }}\"", CONTEXTS).script).toBe("# don't split me\nprintf '[%s]\\n' \"${ARQ_EXPR_1}\"");
  });

  it('expands in a heredoc body as written, and closes $\'...\' quoting as ANSI quoting', () => {
    expect(compileScript("cat <<EOF\nit's ${{ inputs.x }}\nEOF", CONTEXTS).script).toBe("cat <<EOF\nit's ${ARQ_EXPR_1}\nEOF");
    expect(compileScript("echo $'a\\t${{ inputs.x }}\\n'", CONTEXTS).script).toBe("echo $'a\\t'\"${ARQ_EXPR_1}\"$'\\n'");
  });
});
