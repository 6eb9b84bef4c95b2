/**
 * CPU ms of this process's main thread alone (Linux: its line in /proc/self/task, in clock ticks of
 * 10 ms, so take it over many runs), or null where that cannot be read. process.cpuUsage() counts
 * every thread: zlib's pool and worker threads too.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10;

export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}
