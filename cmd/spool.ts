export async function spoolCommand(_args: string[]): Promise<number> {
  process.stderr.write("mulefarm: spool is not available yet\n");
  return 2;
}
