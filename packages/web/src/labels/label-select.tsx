import type { Label } from '@enclave/protocol';
import { useLabels } from './labels-context';

/** A labelled field choosing one classification label among `options`. */
export function LabelSelect({ label, options, value, onChange }: { label: string; options: Label[]; value: string; onChange: (labelId: string) => void }) {
  const labels = useLabels();
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {labels.nameOf(option.id)}
          </option>
        ))}
      </select>
    </label>
  );
}
