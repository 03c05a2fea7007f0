-- Issue 16 B.2: a surname within a sub-tree is read per organization (listing.rs), each run an
-- equality on the organization's path and on the surname's key, in the list's order; as the
-- plain list's runs (migration 0006), once for the place of acceptance and once for the
-- executor.
CREATE INDEX applications_accept_path_surname
    ON applications (accept_path, last_name_key, accepted_at, number);
CREATE INDEX applications_exec_path_surname
    ON applications (exec_path, last_name_key, accepted_at, number);
