/** One SMS as submitted: an optional concatenation header (UDH) and the UCS-2 body. */
export interface SmsPart {
  udh: Buffer | null;
  body: Buffer;
}

// UCS-2 fits 140 octets = 70 code units; a 6-octet concatenation header leaves 134 octets = 67 code units per part.
const SINGLE_UNITS = 70;
const PART_UNITS = 67;

/**
 * Split a text into UCS-2 parts (data_coding 8, which Chinese needs), with 8-bit reference concatenation headers
 * (IEI 0x00) when it does not fit one SMS. A part never ends between the two halves of a surrogate pair. The reference
 * is the message's number among the SMS to its recipient (outbox.repository `destinationSequence`), so two long
 * messages to one phone differ unless 256 others came between them.
 */
export function splitUcs2(text: string, reference: number): SmsPart[] {
  if (text.length <= SINGLE_UNITS) return [{ udh: null, body: ucs2(text) }];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + PART_UNITS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  if (chunks.length > 255) throw new Error('message too long for one concatenated SMS');
  return chunks.map((chunk, i) => ({
    udh: Buffer.from([0x05, 0x00, 0x03, reference & 0xff, chunks.length, i + 1]),
    body: ucs2(chunk),
  }));
}

function ucs2(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return le.swap16();
}
