/**
 * A string built by concatenation is, in V8, a tree of its pieces, kept whole until something reads its characters.
 * For values a sweep keeps for every resource (ARNs, names), that tree costs several times the string itself:
 * 100,000 route ARNs take ~47 MB as trees and ~21 MB flat. Reading one character makes V8 flatten it in place.
 */
export function flatString(text: string): string {
  text.charCodeAt(0);
  return text;
}
