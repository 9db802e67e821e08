// The namespace pages open in when the URL names none. No behaviour.

export const DEFAULT_NAMESPACE = 'argo';
