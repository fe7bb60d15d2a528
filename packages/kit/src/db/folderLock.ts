import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** An embedded database folder is used by another live process. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The embedded database in ${dataDir} is open in process ${pid}; PGlite allows one process per data folder.`);
  }
}

const held = new Map<string, number>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes `<dataDir>.lock` for this process, so a second process (a CLI command
 * while the subgraph runs) fails clearly instead of corrupting the folder.
 * A lock left by a process that died is taken over. Returns the release.
 */
export function lockDataFolder(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  const count = held.get(path) ?? 0;
  if (count === 0) {
    for (;;) {
      try {
        writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = Number.parseInt(readOrEmpty(path), 10);
        if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) throw new DatabaseInUseError(dataDir, pid);
        removeQuietly(path);
      }
    }
  }
  held.set(path, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(path) ?? 1) - 1;
    if (left > 0) {
      held.set(path, left);
      return;
    }
    held.delete(path);
    if (readOrEmpty(path).trim() === String(process.pid)) removeQuietly(path);
  };
}

// A process that exits without closing its database still frees its folders.
process.once('exit', () => {
  for (const path of held.keys()) if (readOrEmpty(path).trim() === String(process.pid)) removeQuietly(path);
});

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
