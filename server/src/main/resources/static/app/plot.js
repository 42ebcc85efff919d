// Small SVG plots on one shared x axis (days since infusion), so that grades, therapies, labs and visit windows line
// up. Plain SVG: a patient with years of daily assessments is a few thousand points, one path per series.
const NS = 'http://www.w3.org/2000/svg';
export const WIDTH = 1000;
const LEFT = 110;
const RIGHT = 10;

function el(name, attributes = {}, text) {
  const node = document.createElementNS(NS, name);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function scale(fromDay, toDay) {
  const span = Math.max(1, toDay - fromDay);
  const x = day => LEFT + ((day - fromDay) / span) * (WIDTH - LEFT - RIGHT);
  x.fromDay = fromDay;
  x.toDay = toDay;
  return x;
}

function frame(title, height, x, label) {
  const svg = el('svg', { class: 'plot', viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img',
    'aria-label': label || title });
  svg.append(el('text', { x: 4, y: 14 }, title));
  const step = niceStep(x.toDay - x.fromDay);
  for (let day = Math.ceil(x.fromDay / step) * step; day <= x.toDay; day += step) {
    svg.append(el('line', { x1: x(day), x2: x(day), y1: 18, y2: height - 14, stroke: '#e3e6ec' }));
    svg.append(el('text', { x: x(day) - 6, y: height - 2 }, String(day)));
  }
  return svg;
}

function niceStep(span) {
  for (const step of [1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730, 1825]) {
    if (span / step <= 12) return step;
  }
  return 3650;
}

/** Daily grades as a step line; a ring where the stated grade differs from the one the assessments support. */
export function gradeSteps(title, points, maxGrade, x, color) {
  const height = 110;
  const y = grade => 22 + (1 - grade / maxGrade) * (height - 40);
  const svg = frame(title, height, x, `${title}: ${points.length} assessments`);
  for (let grade = 0; grade <= maxGrade; grade++) {
    svg.append(el('text', { x: LEFT - 16, y: y(grade) + 4 }, String(grade)));
  }
  const visible = points.filter(p => p.day >= x.fromDay && p.day <= x.toDay).sort((a, b) => a.day - b.day);
  if (visible.length) {
    let path = `M${x(visible[0].day)},${y(visible[0].grade)}`;
    for (let i = 1; i < visible.length; i++) {
      path += ` H${x(visible[i].day)} V${y(visible[i].grade)}`;
    }
    path += ` H${x(Math.min(x.toDay, visible[visible.length - 1].day + 1))}`;
    svg.append(el('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2 }));
  }
  // Long series: the line alone, and a ring still marks each day whose stated grade disagrees.
  for (const point of visible.length > 200 ? visible.filter(p => p.mismatch) : visible) {
    const dot = el('circle', { cx: x(point.day), cy: y(point.grade), r: point.mismatch ? 5 : 2.5,
      fill: point.mismatch ? 'none' : color, stroke: point.mismatch ? '#b3261e' : color, 'stroke-width': 2,
      'data-day': point.day, 'data-grade': point.grade });
    dot.append(el('title', {}, point.label));
    svg.append(dot);
  }
  return svg;
}

/** Intervals (therapies, episodes, visit windows) as labelled bars in rows. */
export function bars(title, items, x) {
  const rows = [...new Set(items.map(item => item.row))];
  const height = 34 + rows.length * 18;
  const svg = frame(title, height, x);
  rows.forEach((row, index) => {
    const label = el('text', { x: 4, y: 34 + index * 18 }, row.length > 17 ? row.substring(0, 16) + '…' : row);
    label.append(el('title', {}, row));
    svg.append(label);
  });
  for (const item of items) {
    const from = Math.max(item.start, x.fromDay);
    const to = Math.min(item.end, x.toDay);
    if (to < from) continue;
    const rect = el('rect', { x: x(from), y: 24 + rows.indexOf(item.row) * 18, height: 13,
      width: Math.max(3, x(to + 1) - x(from)), fill: item.color || '#7a8aa6', class: item.className || '' });
    rect.append(el('title', {}, item.label));
    svg.append(rect);
  }
  return svg;
}

/** One lab over time, with its reference range shaded. */
export function labLine(title, points, range, x) {
  const height = 90;
  const visible = points.filter(p => p.day >= x.fromDay && p.day <= x.toDay).sort((a, b) => a.day - b.day);
  const values = visible.map(p => p.value).concat(range ? [range.low, range.high].filter(v => v != null) : []);
  const max = Math.max(1, ...values) * 1.1;
  const y = v => 20 + (1 - v / max) * (height - 36);
  const svg = frame(title, height, x, `${title}: ${visible.length} results`);
  svg.append(el('text', { x: LEFT - 40, y: 26 }, String(Number(max.toPrecision(3)))));
  if (range && range.low != null && range.high != null) {
    svg.append(el('rect', { x: LEFT, width: WIDTH - LEFT - RIGHT, y: y(range.high), height: y(range.low) - y(range.high),
      fill: '#e4f2e7' }));
  }
  if (visible.length) {
    svg.append(el('path', { d: visible.map((p, i) => `${i ? 'L' : 'M'}${x(p.day)},${y(p.value)}`).join(' '),
      fill: 'none', stroke: '#0b5cad', 'stroke-width': 1.5 }));
    for (const p of visible.length > 200 ? [] : visible) {
      const dot = el('circle', { cx: x(p.day), cy: y(p.value), r: 2.5, fill: '#0b5cad' });
      dot.append(el('title', {}, p.label));
      svg.append(dot);
    }
  }
  return svg;
}
