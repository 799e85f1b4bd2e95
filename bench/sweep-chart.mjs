// Draws the concurrency sweep as a standalone SVG: one panel per command (get, put, operate),
// commands in flight on the x axis (1 … 256, evenly spaced), ops/s on the y axis from zero, a
// line per client, so where each client stands against the wire ceiling is visible at every level.
import { COLORS, esc } from './chart.mjs'

const fmtK = (v) => (v >= 1000 ? `${Math.round(v / 1000)}k` : String(Math.round(v)))

/** A y-axis step that gives about four gridlines: 1, 2 or 5 times a power of ten. */
function niceStep(max) {
  const raw = max / 4
  const p = 10 ** Math.floor(Math.log10(raw || 1))
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)
}

/** @param rows the output of sweepRows(): { command, inflight, ops: { client: ops/s } } */
export function renderSweepChart(rows, title) {
  const commands = [...new Set(rows.map((r) => r.command))]
  const levels = [...new Set(rows.map((r) => r.inflight))].sort((a, b) => a - b)
  const clients = Object.keys(COLORS).filter((c) => rows.some((r) => Number.isFinite(r.ops[c])))
  const [left, panelW, panelH, gap, top] = [60, 240, 220, 40, 76]
  // Wide enough for the panels, and for the title and legend when there are few panels.
  const width = Math.max(left + commands.length * (panelW + gap) + 20, left + clients.length * 140 + 40, 620)
  const height = top + panelH + 50
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ]
  clients.forEach((c, i) => {
    out.push(`<rect x="${left + i * 140}" y="32" width="12" height="12" fill="${COLORS[c]}"/>`)
    out.push(`<text x="${left + i * 140 + 16}" y="42">${esc(c)}</text>`)
  })
  commands.forEach((cmd, ci) => {
    const own = rows.filter((r) => r.command === cmd)
    const max = Math.max(1, ...own.flatMap((r) => clients.map((c) => r.ops[c]).filter(Number.isFinite)))
    const step = niceStep(max)
    const yMax = Math.ceil(max / step) * step
    const x0 = left + ci * (panelW + gap)
    const x = (level) => x0 + (levels.length > 1 ? (levels.indexOf(level) / (levels.length - 1)) * panelW : panelW / 2)
    const y = (v) => top + panelH - (v / yMax) * panelH
    out.push(`<text x="${x0 + panelW / 2}" y="${top - 4}" text-anchor="middle" font-weight="bold">${esc(cmd)}</text>`)
    for (let v = 0; v <= yMax; v += step) {
      out.push(`<line x1="${x0}" y1="${y(v)}" x2="${x0 + panelW}" y2="${y(v)}" stroke="#e0e0e0"/>`)
      out.push(`<text x="${x0 - 4}" y="${y(v) + 4}" text-anchor="end" font-size="10">${fmtK(v)}</text>`)
    }
    for (const level of levels) {
      out.push(`<text x="${x(level)}" y="${top + panelH + 16}" text-anchor="middle">${level}</text>`)
    }
    for (const c of clients) {
      const pts = levels
        .map((level) => own.find((r) => r.inflight === level)?.ops[c])
        .map((v, i) => (Number.isFinite(v) ? [x(levels[i]), y(v)] : null))
        .filter(Boolean)
      if (pts.length > 1) {
        out.push(`<polyline points="${pts.map((p) => p.join(',')).join(' ')}" fill="none" stroke="${COLORS[c]}" stroke-width="2"/>`)
      }
      for (const [px, py] of pts) out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${COLORS[c]}"/>`)
    }
  })
  out.push(`<text x="${width / 2}" y="${height - 10}" text-anchor="middle">commands in flight (ops/s on the y axis)</text>`)
  out.push('</svg>')
  return out.join('\n')
}
