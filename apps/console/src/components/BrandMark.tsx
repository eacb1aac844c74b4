// The Runyard logo: the sidebar's home link and the sign-in card show the same mark.

export function BrandMark({ size }: { size: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path
        d="M9 23V9h7.5a4.5 4.5 0 0 1 0 9H13m3 0 5 5"
        fill="none"
        stroke="var(--brand-ink)"
        strokeWidth="3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
