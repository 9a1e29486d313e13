import { addMonthsToMonth, formatWarekiMonth, monthOf } from '../calendar';
import { HandoutSeriesPoint } from './handout-data';

// A small burn-up chart as inline SVG (no script, so it prints and passes the page's CSP): done
// per month (solid), the 100 % level (grey), the deadline (red, dashed) and, before the
// deadline, the straight line still needed to reach it (dashed).

export interface BurnupInput {
  asOf: string;
  deadline: string;
  points: HandoutSeriesPoint[];
  /** Months drawn after the as-of month at most (a far deadline is marked at the edge). */
  maxMonthsAhead?: number;
}

const WIDTH = 150;
const HEIGHT = 95;
const PAD = { left: 22, right: 4, top: 12, bottom: 14 };

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function shortMonth(month: string): string {
  // 令和8年11月 → R8.11: the axis has room for a few characters only
  const label = formatWarekiMonth(month);
  const match = /^(.)(.)(元|\d+)年(\d+)月$/u.exec(label);
  if (!match) return label;
  const letter = { 令和: 'R', 平成: 'H', 昭和: 'S' }[`${match[1]}${match[2]}`] ?? `${match[1]}${match[2]}`;
  return `${letter}${match[3] === '元' ? 1 : match[3]}.${match[4]}`;
}

const fmt = (value: number) => (Math.round(value * 10) / 10).toString();

export function burnupSvg(input: BurnupInput): string {
  const { points } = input;
  if (!points.length) return '';
  const first = points[0].month;
  const asOfMonth = monthOf(input.asOf);
  const deadlineMonth = monthOf(input.deadline);
  const lastMonth = [asOfMonth, deadlineMonth].sort()[1];
  const ahead = input.maxMonthsAhead ?? 18;
  const cappedLast = monthIndex(lastMonth) - monthIndex(asOfMonth) > ahead ? addMonthsToMonth(asOfMonth, ahead) : lastMonth;
  const span = Math.max(1, monthIndex(cappedLast) - monthIndex(first));
  const goal = Math.max(1, ...points.map((point) => point.goal), ...points.map((point) => point.done));
  const x = (month: string) => PAD.left + ((monthIndex(month) - monthIndex(first)) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / goal) * (HEIGHT - PAD.top - PAD.bottom);
  const plotBottom = HEIGHT - PAD.bottom;
  const done = points.map((point, index) => `${index ? 'L' : 'M'}${fmt(x(point.month))},${fmt(y(point.done))}`).join(' ');
  const goalLine = points.map((point, index) => `${index ? 'L' : 'M'}${fmt(x(point.month))},${fmt(y(point.goal))}`).join(' ');
  const last = points[points.length - 1];
  const parts: string[] = [
    `<svg class="burnup" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="累計完了件数の推移" xmlns="http://www.w3.org/2000/svg">`,
    `<line x1="${PAD.left}" y1="${plotBottom}" x2="${WIDTH - PAD.right}" y2="${plotBottom}" stroke="#9ca3af" stroke-width="0.8"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${plotBottom}" stroke="#9ca3af" stroke-width="0.8"/>`,
    `<text x="${PAD.left - 3}" y="${fmt(y(goal) + 3)}" text-anchor="end" font-size="10" fill="#4b5563">${goal}</text>`,
    `<text x="${PAD.left - 3}" y="${plotBottom}" text-anchor="end" font-size="10" fill="#4b5563">0</text>`,
    `<path d="${goalLine}" fill="none" stroke="#9ca3af" stroke-width="1" stroke-dasharray="2 2"/>`,
  ];
  const deadlineShown = deadlineMonth <= cappedLast && deadlineMonth >= first;
  if (deadlineShown) {
    const dx = fmt(x(deadlineMonth));
    parts.push(`<line x1="${dx}" y1="${PAD.top}" x2="${dx}" y2="${plotBottom}" stroke="#dc2626" stroke-width="1" stroke-dasharray="3 2"/>`);
    const anchor = Number(dx) > WIDTH - PAD.right - 12 ? 'end' : 'middle';
    parts.push(`<text x="${anchor === 'end' ? WIDTH - PAD.right : dx}" y="${PAD.top - 2}" text-anchor="${anchor}" font-size="10" fill="#dc2626">期限</text>`);
  }
  if (input.deadline > input.asOf && last.done < last.goal) {
    // the pace still needed: from today's count to the goal on the deadline (or toward it, at the edge)
    const end = deadlineShown ? deadlineMonth : cappedLast;
    const share = (monthIndex(end) - monthIndex(last.month)) / Math.max(1, monthIndex(deadlineMonth) - monthIndex(last.month));
    const target = last.done + (last.goal - last.done) * Math.min(1, share);
    parts.push(`<path d="M${fmt(x(last.month))},${fmt(y(last.done))} L${fmt(x(end))},${fmt(y(target))}" fill="none" stroke="#2563eb" stroke-width="1" stroke-dasharray="4 3"/>`);
  }
  parts.push(`<path d="${done}" fill="none" stroke="#1d4ed8" stroke-width="2.2"/>`);
  parts.push(`<circle cx="${fmt(x(last.month))}" cy="${fmt(y(last.done))}" r="2.5" fill="#1d4ed8"/>`);
  // month labels: the first, the as-of month and the last, each kept inside the frame and apart
  const right = WIDTH - PAD.right;
  const label = (at: number, month: string) => {
    const anchor = at > right - 12 ? 'end' : at < PAD.left + 12 ? 'start' : 'middle';
    return `<text x="${fmt(anchor === 'end' ? right : anchor === 'start' ? PAD.left : at)}" y="${HEIGHT - 3}" text-anchor="${anchor}" font-size="10" fill="#4b5563">${shortMonth(month)}</text>`;
  };
  parts.push(label(PAD.left, first));
  const asOfX = x(asOfMonth);
  if (asOfX - PAD.left > 42 && (cappedLast === asOfMonth || right - asOfX > 42)) parts.push(label(asOfX, asOfMonth));
  if (cappedLast !== asOfMonth) parts.push(label(right, cappedLast));
  parts.push('</svg>');
  return parts.join('');
}

/** A horizontal progress bar (SVG, so no inline style is needed), with the plan's level as a tick. */
export function progressBarSvg(progress: number | null, planned: number | null = null): string {
  const width = 100;
  const filled = progress === null ? 0 : Math.max(0, Math.min(100, progress));
  const tick = planned === null ? '' : `<line x1="${fmt(planned)}" y1="0" x2="${fmt(planned)}" y2="10" stroke="#111827" stroke-width="2"/>`;
  const colour = progress === 100 ? '#15803d' : '#2563eb';
  return `<svg class="bar" viewBox="0 0 ${width} 10" preserveAspectRatio="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect width="${width}" height="10" fill="#e5e7eb"/><rect width="${fmt(filled)}" height="10" fill="${colour}"/>${tick}</svg>`;
}
