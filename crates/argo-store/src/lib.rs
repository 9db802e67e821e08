//! Storage of resources: the traits the services and controller use, and their backends.
