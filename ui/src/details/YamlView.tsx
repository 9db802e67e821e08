// Read-only YAML rendering of any object, with a copy button.

import { dump } from 'js-yaml';

export function YamlView({ value, label = 'YAML' }: { value: unknown; label?: string }) {
  const text = dump(value, { noRefs: true, lineWidth: 120 });
  return (
    <section aria-label={label} className="yaml">
      <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(text)}>Copy</button>
      <pre tabIndex={0}>{text}</pre>
    </section>
  );
}
