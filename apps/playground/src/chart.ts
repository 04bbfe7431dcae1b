// A live loss/accuracy chart drawn by hand on a canvas: loss on the left axis (scaled to its
// running maximum), training accuracy on the right (0–100%), one x position per step, and a
// dashed line where QAT takes over from float training.

export interface ChartPoint {
  step: number;
  loss: number;
  accuracy: number;
  phase: 'float' | 'qat';
}

const PAD = { left: 44, right: 44, top: 14, bottom: 26 };
const COLORS = { loss: '#d9480f', accuracy: '#1971c2', grid: '#dee2e6', text: '#495057', phase: '#868e96' };

/** Exponential moving average, so batch-to-batch noise does not hide the trend. */
function smooth(values: readonly number[], alpha = 0.15): number[] {
  let ema = values[0] ?? 0;
  return values.map((v) => (ema = alpha * v + (1 - alpha) * ema));
}

export class LineChart {
  private readonly points: ChartPoint[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly plannedSteps: number,
  ) {
    this.draw();
  }

  get size(): number {
    return this.points.length;
  }

  add(point: ChartPoint): void {
    this.points.push(point);
    this.draw();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    const w = width - PAD.left - PAD.right;
    const h = height - PAD.top - PAD.bottom;
    const steps = Math.max(this.plannedSteps, this.points.length, 2);
    const maxLoss = Math.max(0.5, ...this.points.map((p) => p.loss));
    const x = (i: number) => PAD.left + (i / (steps - 1)) * w;
    const yLoss = (v: number) => PAD.top + h - (v / maxLoss) * h;
    const yAcc = (v: number) => PAD.top + h - v * h;

    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    for (let k = 0; k <= 4; k++) {
      const y = PAD.top + (k / 4) * h;
      ctx.strokeStyle = COLORS.grid;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(PAD.left + w, y);
      ctx.stroke();
      ctx.fillStyle = COLORS.loss;
      ctx.textAlign = 'right';
      ctx.fillText((maxLoss * (1 - k / 4)).toFixed(2), PAD.left - 6, y + 4);
      ctx.fillStyle = COLORS.accuracy;
      ctx.textAlign = 'left';
      ctx.fillText(`${100 - k * 25}%`, PAD.left + w + 6, y + 4);
    }
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = 'center';
    ctx.fillText(`training step (of ${steps})`, PAD.left + w / 2, height - 6);

    const qatStart = this.points.findIndex((p) => p.phase === 'qat');
    if (qatStart > 0) {
      ctx.strokeStyle = COLORS.phase;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x(qatStart), PAD.top);
      ctx.lineTo(x(qatStart), PAD.top + h);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.phase;
      ctx.textAlign = 'left';
      ctx.fillText('QAT →', x(qatStart) + 4, PAD.top + 12);
    }
    this.line(smooth(this.points.map((p) => p.loss)), x, yLoss, COLORS.loss);
    this.line(smooth(this.points.map((p) => p.accuracy)), x, yAcc, COLORS.accuracy);
  }

  private line(values: number[], x: (i: number) => number, y: (v: number) => number, color: string): void {
    const ctx = this.canvas.getContext('2d')!;
    if (values.length === 0) return;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
    ctx.stroke();
    ctx.lineWidth = 1;
  }
}
