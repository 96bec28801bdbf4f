export async function signalCommand(_args: string[]): Promise<number> {
  process.stderr.write("mulefarm: signal is not available yet\n");
  return 2;
}
