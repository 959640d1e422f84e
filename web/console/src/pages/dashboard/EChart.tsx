import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  PieChart,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the dashboard draws (bars, lines, a pie; axes, legend, tooltip; SVG), not the whole library.
use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** Colours with AA contrast against white (the legend and labels are text too). */
export const CHART_COLORS = ['#0958d9', '#cf1322', '#237804', '#ad4e00', '#531dab', '#006d75', '#595959'];

/**
 * One ECharts chart. A chart is a picture to assistive technology: the wrapper is an image named by `summary` (its
 * numbers in words); the page shows the same numbers in a table beside it.
 */
export function EChart({ option, summary, height = 280 }: { option: ChartOption; summary: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, undefined, { renderer: 'svg' });
    chart.setOption({ color: CHART_COLORS, animation: false, ...option });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={summary} style={{ width: '100%', height }} />;
}
