import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logLines, runText, tempDir } from '../../helpers/workflow.js';

const dir = tempDir('arq-injection-');

/** Hostile inputs: each would create a file if it ever reached a shell as code. */
const attacks = {
  quote: `"; touch ${dir}/pwned-X; #`,
  subshell: `$(touch ${dir}/pwned-Y)`,
  backticks: `\`touch ${dir}/pwned-Z\``,
  single: `'; touch ${dir}/pwned-W; echo '`,
  newline: `a\ntouch ${dir}/pwned-V`,
  spaced: 'a * -rf /',
};

const pwned = () => ['X', 'Y', 'Z', 'W', 'V'].filter((x) => existsSync(join(dir, `pwned-${x}`)));

const yaml = `
name: injection
inputs:
  quote: { type: string }
  subshell: { type: string }
  backticks: { type: string }
  single: { type: string }
  newline: { type: string }
  spaced: { type: string }
steps:
  - id: quoted
    run: |
      printf '%s\\n' "\${{ inputs.quote }}"
      printf '%s\\n' "\${{ inputs.subshell }}"
      printf '%s\\n' "\${{ inputs.backticks }}"
      printf '%s\\n' "\${{ inputs.single }}"
  - id: unquoted
    run: echo \${{ inputs.quote }} \${{ inputs.subshell }} \${{ inputs.backticks }}
  - id: bash
    shell: bash
    run: printf '%s|' "\${{ inputs.newline }}" "\${{ inputs.single }}"; echo
  - id: interpolated
    run: echo "x\${{ inputs.quote }}y\${{ inputs.subshell }}z"
  - id: produce
    uses: noop
    with: { evil: "\${{ inputs.backticks }}" }
  - id: from_output
    run: echo "got \${{ steps.produce.outputs.evil }}"
  - id: via_with
    uses: shell
    with: { run: "echo \\"\${{ inputs.subshell }}\\"" }
  - id: via_env
    env: { EVIL: "\${{ inputs.quote }}" }
    run: echo "$EVIL"
  - id: after_comment
    run: |
      # don't split me
      printf '[%s]\\n' "\${{ inputs.spaced }}"
  - id: single_quoted
    run: printf '%s\\n' '\${{ inputs.single }}' 'x\${{ inputs.subshell }}y'
`;

describe('expressions in run: scripts', () => {
  it('hand hostile input to the script as data: no command runs and the literal text arrives', async () => {
    const { result, events } = await runText(yaml, dir, { inputs: attacks });
    expect(result.status).toBe('succeeded');
    expect(pwned()).toEqual([]);
    expect(logLines(events, 'quoted')).toEqual([attacks.quote, attacks.subshell, attacks.backticks, attacks.single]);
    // Unquoted, the shell splits words, but substitutions are never run.
    expect(logLines(events, 'unquoted')).toEqual([`"; touch ${dir}/pwned-X; # $(touch ${dir}/pwned-Y) \`touch ${dir}/pwned-Z\``]);
    expect(logLines(events, 'bash')).toEqual([`a`, `touch ${dir}/pwned-V|${attacks.single}|`]);
    expect(logLines(events, 'interpolated')).toEqual([`x${attacks.quote}y${attacks.subshell}z`]);
    expect(logLines(events, 'from_output')).toEqual([`got ${attacks.backticks}`]);
    expect(logLines(events, 'via_with')).toEqual([attacks.subshell]);
    expect(logLines(events, 'via_env')).toEqual([attacks.quote]);
    // An apostrophe in a comment does not make arq think a quote is open: the value stays one word.
    expect(logLines(events, 'after_comment')).toEqual(['[a * -rf /]']);
    // Inside single quotes the value is still read (not the variable's name), and still never run.
    expect(logLines(events, 'single_quoted')).toEqual([attacks.single, `x${attacks.subshell}y`]);
  });
});
