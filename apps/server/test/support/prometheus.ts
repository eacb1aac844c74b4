// Reads a /metrics answer with a real Prometheus text-format parser, and picks samples by labels.
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format'

export class Scrape {
  readonly families: Map<string, PrometheusFamily>
  private readonly histograms = new Set<string>()

  constructor(text: string) {
    // The parser folds all of a histogram's series into one, losing their labels, when they have
    // labels besides `le`: histograms are read as untyped, so that their _bucket, _sum and _count
    // series are families of their own, each sample with its labels.
    const untyped = text.replace(/^# TYPE (\S+) histogram$/gm, (_line, name: string) => {
      this.histograms.add(name)
      return `# TYPE ${name} untyped`
    })
    // (prom-client writes a histogram series by series, so each of those comes back in pieces)
    this.families = new Map()
    for (const f of parsePrometheusTextFormat(untyped)) {
      const seen = this.families.get(f.name)
      if (seen) seen.metrics.push(...f.metrics)
      else this.families.set(f.name, f)
    }
  }

  family(name: string): PrometheusFamily {
    const f = this.families.get(name)
    if (!f) throw new Error(`no metric ${name} in the scrape (has ${[...this.families.keys()].join(', ')})`)
    return this.histograms.has(name) ? { ...f, type: 'HISTOGRAM' } : f
  }

  /** Samples of `name` whose labels include `labels`. */
  samples(name: string, labels: Record<string, string> = {}): PrometheusSample[] {
    return this.family(name).metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
  }

  /** The sum of matching counter/gauge samples (0 when none match). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((sum, m) => sum + Number(m.value), 0)
  }

  /** The number of observations of a histogram's matching series (its `_count`). */
  count(name: string, labels: Record<string, string> = {}): number {
    if (!this.histograms.has(name)) throw new Error(`${name} is not a histogram`)
    return this.value(`${name}_count`, labels)
  }
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { headers })
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${await res.text()}`)
  return new Scrape(await res.text())
}
