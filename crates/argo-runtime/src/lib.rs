//! The pod runtime: the trait the controller drives, and the sandboxed local-process runtime.
