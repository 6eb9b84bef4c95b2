/** CPU time and bytes written of another process, from /proc/<pid>/stat and /proc/<pid>/io (Linux). */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

let ticksPerSecond: number | undefined;

/** User + system CPU milliseconds the process has used so far (10 ms steps on most kernels). */
export async function cpuMsOf(pid: number): Promise<number> {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Bytes the process has passed to write(2) and its kin so far: files and sockets (`wchar` in /proc/<pid>/io). */
export async function writtenBytesOf(pid: number): Promise<number> {
  const io = await readFile(`/proc/${pid}/io`, 'utf8');
  const wchar = /^wchar:\s+(\d+)/m.exec(io)?.[1];
  if (wchar === undefined) throw new Error(`no wchar in /proc/${pid}/io`);
  return Number(wchar);
}
