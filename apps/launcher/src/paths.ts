import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (where package.json and nest-cli.json are), from sources or from dist/. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'nest-cli.json')))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
  return dir;
}
