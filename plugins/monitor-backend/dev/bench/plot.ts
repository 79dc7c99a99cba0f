/** A grouped bar chart of ingest throughput, as a self-contained SVG. */
export function plotIngest(
  rows: Array<{
    kind: string;
    target: string;
    concurrency: number;
    perSecond: number;
  }>,
): string {
  const groups = [...new Set(rows.map(r => `${r.kind}|${r.concurrency}`))];
  const targets = ['bare', 'alone', 'backstage'];
  const colours: Record<string, string> = {
    bare: '#9e9e9e',
    alone: '#90caf9',
    backstage: '#1976d2',
  };
  const names: Record<string, string> = {
    bare: 'ceiling (node:http + driver)',
    alone: 'the monitor without Backstage',
    backstage: 'Backstage backend',
  };
  const width = 760;
  const height = 340;
  const left = 60;
  const bottom = 60;
  const top = 40;
  const plotHeight = height - top - bottom;
  const max = Math.max(...rows.map(r => r.perSecond)) * 1.1;
  const groupWidth = (width - left - 20) / groups.length;
  const barWidth = (groupWidth * 0.7) / targets.length;
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${
      width / 2
    }" y="20" text-anchor="middle" font-size="14">Reports per second by database and concurrency (higher is better)</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    parts.push(
      `<line x1="${left}" x2="${width - 20}" y1="${y(value)}" y2="${y(
        value,
      )}" stroke="#e0e0e0"/>`,
      `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${Math.round(
        value,
      )}</text>`,
    );
  }
  groups.forEach((group, g) => {
    const [kind, concurrency] = group.split('|');
    const x0 = left + g * groupWidth + groupWidth * 0.15;
    targets.forEach((target, t) => {
      const row = rows.find(
        r =>
          r.kind === kind &&
          String(r.concurrency) === concurrency &&
          r.target === target,
      );
      if (!row) return;
      const x = x0 + t * barWidth;
      parts.push(
        `<rect x="${x}" y="${y(row.perSecond)}" width="${
          barWidth - 2
        }" height="${top + plotHeight - y(row.perSecond)}" fill="${
          colours[target]
        }"><title>${target} ${kind} c=${concurrency}: ${Math.round(
          row.perSecond,
        )}/s</title></rect>`,
        `<text x="${x + barWidth / 2}" y="${
          y(row.perSecond) - 4
        }" text-anchor="middle" font-size="10">${Math.round(
          row.perSecond,
        )}</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + barWidth}" y="${
        height - bottom + 16
      }" text-anchor="middle">${kind}</text>`,
      `<text x="${x0 + barWidth}" y="${
        height - bottom + 30
      }" text-anchor="middle">c=${concurrency}</text>`,
    );
  });
  targets.forEach((target, t) => {
    parts.push(
      `<rect x="${left + t * 230}" y="${
        height - 18
      }" width="12" height="12" fill="${colours[target]}"/>`,
      `<text x="${left + t * 230 + 18}" y="${height - 8}">${
        names[target]
      }</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
