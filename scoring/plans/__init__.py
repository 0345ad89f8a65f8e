"""Plan drafts from points lost: ``api`` is the public entry (draft one, draft all, write); then
targets, tasks, the remediation and annual plans, other indices, the document and its renderers."""
