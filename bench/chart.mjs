// Draws the benchmark summary as a standalone SVG: one row per workload, bars for each client's
// throughput relative to the official client (1.0 = same speed).

export const COLORS = { official: '#9aa0a6', 'aerospike-napi': '#1a73e8', 'rust-crate': '#34a853', wire: '#202124' }

export function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
}

/** @param rows Array<{workload, client, ratio}> ratio = throughput / official throughput */
export function renderChart(rows, title) {
  const workloads = [...new Set(rows.map((r) => r.workload))]
  const clients = Object.keys(COLORS).filter((c) => rows.some((r) => r.client === c))
  const maxRatio = Math.max(1, ...rows.map((r) => (Number.isFinite(r.ratio) ? r.ratio : 0)))
  const barH = 14
  const groupH = clients.length * barH + 14
  const left = 130
  const width = 760
  const plotW = width - left - 90
  const top = 50
  const height = top + workloads.length * groupH + 40
  const x = (v) => left + (v / maxRatio) * plotW
  const out = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`)
  out.push(`<rect width="100%" height="100%" fill="white"/>`)
  out.push(`<text x="${left}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`)
  clients.forEach((c, i) => {
    out.push(`<rect x="${left + i * 140}" y="30" width="12" height="12" fill="${COLORS[c]}"/>`)
    out.push(`<text x="${left + i * 140 + 16}" y="40">${esc(c)}</text>`)
  })
  workloads.forEach((w, wi) => {
    const y0 = top + wi * groupH
    out.push(`<text x="${left - 8}" y="${y0 + (clients.length * barH) / 2 + 4}" text-anchor="end">${esc(w)}</text>`)
    clients.forEach((c, ci) => {
      const r = rows.find((row) => row.workload === w && row.client === c)
      if (!r || !Number.isFinite(r.ratio)) return
      const y = y0 + ci * barH
      out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(r.ratio) - left)}" height="${barH - 3}" fill="${COLORS[c]}"/>`)
      out.push(`<text x="${x(r.ratio) + 4}" y="${y + barH - 5}">${r.ratio.toFixed(2)}×</text>`)
    })
  })
  const x1 = x(1)
  out.push(`<line x1="${x1}" y1="${top - 4}" x2="${x1}" y2="${height - 30}" stroke="#444" stroke-dasharray="3,3"/>`)
  out.push(`<text x="${x1}" y="${height - 14}" text-anchor="middle">1.0× = official aerospike npm client</text>`)
  out.push('</svg>')
  return out.join('\n')
}
