export async function buildCommand(_args: string[]): Promise<number> {
  process.stderr.write("mulefarm: build is not available yet\n");
  return 2;
}
