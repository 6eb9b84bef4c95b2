/** SIGTERM to a child by its PID, SIGKILL if it has not exited after `graceMs`; resolves once it has. */
export async function stopProcess(
  pid: number | undefined,
  child: { exited(): boolean; exit: Promise<void> },
  graceMs = 5_000,
): Promise<void> {
  if (child.exited() || pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (!child.exited()) process.kill(pid, 'SIGKILL');
  }, graceMs);
  await child.exit;
  clearTimeout(timer);
}
