/**
 * Picks the package's README out of the archive as it streams by: the first bytes (up to a cap) of
 * `README.md` (or `README`, `readme.markdown`…) beside the manifest. Which folder is the package root
 * is known only when the manifest turns up, so candidates at the root and one folder down are kept,
 * at most MAX_CANDIDATES of them, each at most `maxBytes`: memory stays bounded whatever the archive.
 */
export interface Readme {
  /** The text, cut at `maxBytes` (on a line end when one is near), NULs removed. */
  text: string;
  /** The file's whole size in bytes. */
  size: number;
  truncated: boolean;
}

const NAME = /^readme(?:\.md|\.markdown|\.txt)?$/i;
const MAX_CANDIDATES = 4;

interface Candidate {
  dir: string;
  name: string;
  chunks: Buffer[];
  kept: number;
  size: number;
}

export interface ReadmeCapture {
  /** A sink for the entry's bytes when it may be the README, else null (the entry is not kept). */
  offer(path: string, size: number): ((chunk: Buffer) => void) | null;
  /** The README beside the manifest at `manifestPath`, or null. */
  pick(manifestPath: string): Readme | null;
}

export function createReadmeCapture(maxBytes: number): ReadmeCapture {
  const candidates: Candidate[] = [];
  return {
    offer(path, size) {
      const slash = path.lastIndexOf('/');
      const dir = slash === -1 ? '' : path.slice(0, slash);
      const name = path.slice(slash + 1);
      if (dir.includes('/') || !NAME.test(name) || candidates.length >= MAX_CANDIDATES) return null;
      const candidate: Candidate = { dir, name, chunks: [], kept: 0, size };
      candidates.push(candidate);
      return (chunk) => {
        const room = maxBytes - candidate.kept;
        if (room <= 0) return;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        candidate.chunks.push(Buffer.from(part));
        candidate.kept += part.length;
      };
    },
    pick(manifestPath) {
      const slash = manifestPath.indexOf('/');
      const dir = slash === -1 ? '' : manifestPath.slice(0, slash);
      const beside = candidates.filter((c) => c.dir === dir).sort((a, b) => rank(a.name) - rank(b.name));
      const chosen = beside[0];
      return chosen ? decode(chosen, maxBytes) : null;
    },
  };
}

// README.md first, then other spellings: a package with both shows the Markdown one.
const rank = (name: string): number => ['readme.md', 'readme.markdown', 'readme', 'readme.txt'].indexOf(name.toLowerCase());

function decode(candidate: Candidate, maxBytes: number): Readme {
  const bytes = Buffer.concat(candidate.chunks);
  const truncated = candidate.size > maxBytes;
  // PostgreSQL text cannot hold NUL; a character cut in half at the cap becomes U+FFFD and is dropped.
  let text = new TextDecoder('utf-8').decode(bytes).replace(/\u0000/g, '');
  if (truncated) {
    text = text.replace(/\uFFFD$/, '');
    const lineEnd = text.lastIndexOf('\n');
    if (lineEnd > text.length - 4096 && lineEnd > 0) text = text.slice(0, lineEnd + 1);
  }
  return { text, size: candidate.size, truncated };
}
