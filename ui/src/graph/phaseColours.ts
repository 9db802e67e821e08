// Colours per node phase, chosen for contrast on both light and dark backgrounds.

import type { NodePhase } from '../api/types';

export function phaseColour(phase: NodePhase | undefined): string {
  switch (phase) {
    case 'Succeeded':
      return '#18be94';
    case 'Failed':
    case 'Error':
      return '#e96d76';
    case 'Running':
      return '#0dadea';
    case 'Pending':
      return '#f4c030';
    case 'Skipped':
    case 'Omitted':
      return '#8fa4b1';
    default:
      return '#c0c8cf';
  }
}
