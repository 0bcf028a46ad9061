import '@mantine/charts/styles.layer.css';

import { BarChart } from '@mantine/charts';

interface SignupChartProps {
  data: { day: string; count: number }[];
  label: string;
}

/** Sign-ups per day as small bars (loaded on demand: recharts is large). */
export default function SignupChart({ data, label }: SignupChartProps) {
  return (
    <BarChart
      h={56}
      data={data}
      dataKey="day"
      series={[{ name: 'count', label: 'Sign-ups', color: 'blue.6' }]}
      withXAxis={false}
      withYAxis={false}
      gridAxis="none"
      tickLine="none"
      barProps={{ radius: 2 }}
      tooltipAnimationDuration={0}
      // One image to assistive technology, described by its label, rather than unlabelled bars.
      role="img"
      aria-label={label}
      style={{ borderBottom: '1px solid var(--didtron-border)' }}
    />
  );
}
