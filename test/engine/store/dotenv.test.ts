import { describe, expect, it } from 'vitest';
import { parseDotenv, readDotenvFile } from '../../../engine/store/dotenv.js';

describe('parseDotenv', () => {
  it('reads KEY=VALUE lines, comments, export, quotes and inline comments', () => {
    const text = ['# a comment', '', 'A=plain', 'export B = spaced ', 'C="double # kept\\nnext"', "D='single \\n literal'", 'E=bare # comment', 'F=', 'G=a=b'].join('\n');
    expect(parseDotenv(text, 'x.env')).toEqual({ A: 'plain', B: 'spaced', C: 'double # kept\nnext', D: 'single \\n literal', E: 'bare', F: '', G: 'a=b' });
  });

  it('rejects a line that is not KEY=VALUE without showing it (it may hold a secret)', () => {
    expect(() => parseDotenv('A=1\nhunter2\n', 'prod.env')).toThrow('prod.env:2: expected KEY=VALUE (the line is not shown: it may hold a secret)');
  });

  it('names a file it cannot read', () => {
    expect(() => readDotenvFile('/nonexistent/prod.env')).toThrow('Cannot read the secrets file /nonexistent/prod.env: ENOENT');
  });
});
