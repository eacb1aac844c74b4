// The images and files of a user turn: images as thumbnails, other files as a chip with their name
// and type. Only http(s) and data URLs are ever stored (the contract refuses others).
import type { FilePart } from '../../lib/parts.ts'

export function Attachments({ files }: { files: FilePart[] }) {
  if (!files.length) return null
  return (
    <div className="attachments">
      {files.map((f, i) =>
        f.mediaType.startsWith('image/') ? (
          <a key={i} href={f.url} target="_blank" rel="noopener noreferrer" className="attachment attachment-image">
            <img src={f.url} alt={f.filename ?? 'image'} loading="lazy" />
          </a>
        ) : (
          <span key={i} className="attachment attachment-file" title={f.mediaType}>
            {f.filename ?? 'file'} <span className="muted">{f.mediaType}</span>
          </span>
        ),
      )}
    </div>
  )
}
