import { extractHtml } from './html.js';
import type { ExtractedText } from './extracted.js';

/** Why a DOCX file could not be read: `message` continues "Corpus file X ..."; `fix` says what to do. */
export class DocxError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Extracts a Word document (.docx) through mammoth, which maps Word's paragraph styles to HTML (Heading 1 → `<h1>`,
 * Title → `<h1>`, lists, tables), then through the HTML path, so headings become sections. Images are left out. Mammoth is loaded
 * only when the corpus holds a DOCX file.
 *
 * @throws DocxError when the file is not a readable DOCX (corrupt, a renamed .doc, or encrypted).
 */
export async function extractDocx(bytes: Uint8Array): Promise<ExtractedText> {
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        // Word's Title style is the document's first heading (mammoth leaves it a plain paragraph).
        styleMap: ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"],
      },
    );
    html = result.value;
  } catch (err) {
    // An encrypted DOCX is an OLE compound file (D0 CF 11 E0), as is a legacy .doc.
    const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
    throw ole
      ? new DocxError(
          'is encrypted (password protected) or an old .doc file, not a DOCX',
          'Save it from Word as .docx without a password, or move it out of the corpus folder.',
          { cause: err },
        )
      : new DocxError(
          `is not a readable DOCX file (${err instanceof Error ? err.message : String(err)})`,
          'Save it again from Word as .docx, or move it out of the corpus folder.',
          { cause: err },
        );
  }
  return extractHtml(`<body>${html}</body>`);
}
