// Kubernetes events of one object (a node's pod, or the workflow) from the WatchEvents stream
// (`GET api/v1/stream/events/{namespace}`), filtered by `involvedObject`. Must not render anything.

import { openStream } from './sse';

export interface KubeEvent {
  metadata?: { name?: string; uid?: string; creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export interface EventTarget {
  kind: 'Pod' | 'Workflow';
  name: string;
}

/** Whether an event is about `target`. */
export function isAbout(event: KubeEvent, target: EventTarget): boolean {
  return event.involvedObject?.kind === target.kind && event.involvedObject.name === target.name;
}

/** When the event last happened (the newest of its timestamps), for sorting and display. */
export function lastSeen(event: KubeEvent): string | undefined {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
}

/**
 * Streams the events about `target`; returns the close function. The namespace's stream is
 * filtered here: an `involvedObject` field selector would be cheaper on Kubernetes, but this
 * server's store selects on `metadata.name`/`metadata.namespace` only and refuses it (400).
 */
export function watchEvents(
  namespace: string,
  target: EventTarget,
  onEvent: (event: KubeEvent) => void,
  onError?: (e: Error) => void,
): () => void {
  return openStream<KubeEvent>(`api/v1/stream/events/${encodeURIComponent(namespace)}`, {
    onMessage: (event) => {
      if (isAbout(event, target)) onEvent(event);
    },
    onError,
  });
}
