// A phase label with its colour; the text carries the meaning, the colour only repeats it.

import { phaseColour } from '../graph/phaseColours';
import type { NodePhase } from '../api/types';

export function PhaseBadge({ phase }: { phase?: string }) {
  const label = phase || 'Unknown';
  return (
    <span className="phase" style={{ borderColor: phaseColour(phase as NodePhase | undefined) }}>
      <span className="dot" aria-hidden="true" style={{ background: phaseColour(phase as NodePhase | undefined) }} />
      {label}
    </span>
  );
}
