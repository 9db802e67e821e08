// JSON shapes of the Argo Server REST API that the pages read. Only the fields the UI uses are
// typed; everything is optional because the server omits empty fields.

export type NodePhase = 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';
export type WorkflowPhase = '' | 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  enum?: string[];
  description?: string;
}

/** An artifact; its storage is one of the location fields (`s3`, `gcs`, `http`, …). */
export interface Artifact {
  name: string;
  path?: string;
  optional?: boolean;
  deleted?: boolean;
  s3?: { bucket?: string; key?: string };
  gcs?: { bucket?: string; key?: string };
  http?: { url?: string };
  git?: { repo?: string };
}

export interface Inputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
}

export interface Outputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
  result?: string;
  exitCode?: string;
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  templateName?: string;
  phase?: NodePhase;
  boundaryID?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  estimatedDuration?: number;
  progress?: string;
  podIP?: string;
  children?: string[];
  outboundNodes?: string[];
  inputs?: Inputs;
  outputs?: Outputs;
  resourcesDuration?: Record<string, number>;
}

export interface Condition {
  type: string;
  status: string;
  message?: string;
}

export interface ContainerSpec {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
}

export interface Template {
  name: string;
  container?: ContainerSpec;
  script?: ContainerSpec & { source?: string };
  containerSet?: { containers?: ContainerSpec[] };
  initContainers?: ContainerSpec[];
  sidecars?: ContainerSpec[];
  inputs?: Inputs;
}

export interface WorkflowSpec {
  entrypoint?: string;
  arguments?: { parameters?: Parameter[] };
  templates?: Template[];
  workflowTemplateRef?: { name: string; clusterScope?: boolean };
}

export interface WorkflowStatus {
  phase?: WorkflowPhase;
  startedAt?: string;
  finishedAt?: string;
  estimatedDuration?: number;
  progress?: string;
  message?: string;
  nodes?: Record<string, NodeStatus>;
  conditions?: Condition[];
  resourcesDuration?: Record<string, number>;
  /** The referenced WorkflowTemplate's spec, as the controller stored it at the start. */
  storedWorkflowTemplateSpec?: WorkflowSpec;
}

export interface Workflow {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: WorkflowSpec;
  status?: WorkflowStatus;
}

export interface ListMeta {
  continue?: string;
  resourceVersion?: string;
}

export interface WorkflowList {
  metadata?: ListMeta;
  items?: Workflow[] | null;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR';

export interface WorkflowWatchEvent {
  type: WatchEventType;
  object: Workflow;
}

export interface LogEntry {
  podName?: string;
  content?: string;
}

export interface Version {
  version?: string;
  buildDate?: string;
  gitCommit?: string;
  gitTag?: string;
  gitTreeState?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
}

export interface Column {
  name: string;
  type: 'label' | 'annotation';
  key: string;
}

export interface Link {
  name: string;
  scope: string;
  url: string;
}

export interface Info {
  managedNamespace?: string;
  links?: Link[];
  columns?: Column[];
  navColor?: string;
  modals?: Record<string, boolean>;
  /** Set by this server when SSO is configured (the login page shows its button). */
  ssoEnabled?: boolean;
}

export interface UserInfo {
  issuer?: string;
  subject?: string;
  groups?: string[];
  email?: string;
  emailVerified?: boolean;
  name?: string;
  serviceAccountName?: string;
  serviceAccountNamespace?: string;
}

export interface ApiErrorBody {
  code?: number;
  message?: string;
}
