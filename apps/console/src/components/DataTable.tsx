import type { ReactNode } from 'react'

/** One header cell: `kind` styles it (numbers right-aligned, optional columns hidden on narrow screens). */
export interface Column {
  label: string
  kind?: 'num' | 'optional'
  /** Read by screen readers only (an actions column). */
  hidden?: boolean
}

const CLASS = { num: 'num', optional: 'col-optional' } as const

/** The console's list table: a labelled, horizontally scrollable table with one header row. */
export function DataTable({ label, columns, children }: { label: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.kind ? CLASS[c.kind] : undefined}>
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
