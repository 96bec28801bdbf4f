// A one-file app build (`mulefarm build`) embeds its ini; its options come
// first so the command line still overrides them. None in the plain binary.
export function embeddedArgs(): string[] {
  return [];
}
