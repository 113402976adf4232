import { describe, expect, it } from 'vitest';
import { compileScript, evaluateValue, stepRefs, stringifyValue } from '../../../engine/expr/index.js';
import { CONTEXTS, ctxOf } from './helpers.js';

describe('compileScript', () => {
  it('replaces each expression with a numbered variable, never with its value', () => {
    const { script, vars, problems } = compileScript('echo "${{ inputs.x }}" && echo ${{ steps.a.outputs.y }}', CONTEXTS);
    expect(problems).toEqual([]);
    expect(script).toBe('echo "${ARQ_EXPR_1}" && echo ${ARQ_EXPR_2}');
    expect(vars.map((v) => v.name)).toEqual(['ARQ_EXPR_1', 'ARQ_EXPR_2']);
    const ctx = ctxOf({ inputs: { x: '$(rm -rf /)' }, steps: { a: { outputs: { y: [1, 2] } } } });
    expect(vars.map((v) => stringifyValue(evaluateValue(v.value, ctx)))).toEqual(['$(rm -rf /)', '[1,2]']);
  });

  it('numbers every occurrence, also of the same expression', () => {
    expect(compileScript('${{ inputs.x }}${{ inputs.x }}', CONTEXTS).script).toBe('${ARQ_EXPR_1}${ARQ_EXPR_2}');
  });

  it('closes single quotes around a variable so that the shell expands it, and keeps other quoting as written', () => {
    const { script, vars } = compileScript(`echo '\${{ inputs.x }}' "it's \${{ inputs.x }}" \\'\${{ inputs.x }}`, CONTEXTS);
    expect(script).toBe(`echo ''"\${ARQ_EXPR_1}"'' "it's \${ARQ_EXPR_2}" \\'\${ARQ_EXPR_3}`);
    expect(vars.map((v) => v.text)).toEqual(['\${{ inputs.x }}', '\${{ inputs.x }}', '\${{ inputs.x }}']);
  });

  it('leaves a script without expressions as it is', () => {
    expect(compileScript('echo "${HOME}" }}', CONTEXTS)).toEqual({ script: 'echo "${HOME}" }}', vars: [], problems: [] });
  });

  it('reports problems at the offset of the ${{ in the script', () => {
    const { problems, script } = compileScript('echo ok\necho ${{ foo.bar }}', CONTEXTS);
    expect(script).toBe('echo ok\necho ${ARQ_EXPR_1}');
    expect(problems).toEqual([
      {
        path: [],
        offset: 13,
        expression: 'foo.bar',
        message: "Unrecognized named-value: 'foo'. Located at position 1 within expression: foo.bar; expected one of: inputs, env, steps",
      },
    ]);
  });

  it('reports an unterminated expression and keeps the script text', () => {
    expect(compileScript('echo ${{ inputs.x', CONTEXTS)).toEqual({
      script: 'echo ${{ inputs.x',
      vars: [],
      problems: [{ path: [], offset: 5, expression: 'inputs.x', message: "Unterminated expression: expected '}}' to close '${{'" }],
    });
  });

  it('lets step references be found per variable', () => {
    const { vars } = compileScript('a\n${{ steps.build.outputs.v }}', CONTEXTS);
    expect(stepRefs(vars[0]!.value)).toEqual([{ id: 'build', path: [], offset: 2 }]);
  });
});
