/** Config keeps at most 256 characters of an annotation and rejects an empty one. */
export const MAX_ANNOTATION = 256;

export function cutAnnotation(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= MAX_ANNOTATION) return clean;
  return `${clean.slice(0, MAX_ANNOTATION - 3)}...`;
}
