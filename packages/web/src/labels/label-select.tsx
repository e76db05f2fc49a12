import type { Label } from '@enclave/protocol';
import { useLabels } from './labels-context';

/**
 * A labelled field choosing one classification label among `options`; with `anyOption`, a first choice of no label
 * in particular (the value '').
 */
export function LabelSelect({ label, options, value, onChange, anyOption }: { label: string; options: Label[]; value: string; onChange: (labelId: string) => void; anyOption?: string }) {
  const labels = useLabels();
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {anyOption !== undefined && <option value="">{anyOption}</option>}
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {labels.nameOf(option.id)}
          </option>
        ))}
      </select>
    </label>
  );
}
