// Inputs the cases send: a function tool, a small image and a small PDF (made for this suite).

/** A client-side ("developer-hosted") function tool, as in the spec's tool calling examples. */
export const GET_WEATHER = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the current weather for a location',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } },
    required: ['location'],
  },
} as const

/** A 2×2 PNG (red, white / white, red), base64. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8Dw//9/EP7PwAAAOdQH+UB5uWUAAAAASUVORK5CYII='
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`
/** Never fetched: the server hands image URLs to the model, which is a fake here. */
export const IMAGE_URL = 'https://images.example.com/open-responses/checkerboard.png'

const PDF_TEXT = [
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 240 80] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj',
  '4 0 obj << /Length 58 >> stream',
  'BT /F1 12 Tf 16 40 Td (Title: Runyard Conformance Memo) Tj ET',
  'endstream endobj',
  '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
  '',
].join('\n')
export const PDF_FILENAME = 'conformance-memo.pdf'
export const PDF_BASE64 = Buffer.from(PDF_TEXT, 'latin1').toString('base64')
export const PDF_DATA_URL = `data:application/pdf;base64,${PDF_BASE64}`
