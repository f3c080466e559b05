/** Roles on a project (project_members) and on one shared document (document_collaborators), strongest first. */
export const PROJECT_ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
export const SHARE_ROLES = ['editor', 'commenter', 'viewer'] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];

const RANK: Record<ProjectRole, number> = { owner: 4, editor: 3, commenter: 2, viewer: 1 };

export function roleRank(role: ProjectRole | null | undefined): number {
  return role ? RANK[role] : 0;
}

export function atLeast(role: ProjectRole | null | undefined, minimum: ProjectRole): boolean {
  return roleRank(role) >= RANK[minimum];
}

/** The roles table of DESIGN.md as predicates; the database's policies say the same through private.has_role. */
export const can = {
  read: (role: ProjectRole | null | undefined) => atLeast(role, 'viewer'),
  edit: (role: ProjectRole | null | undefined) => atLeast(role, 'editor'),
  comment: (role: ProjectRole | null | undefined) => atLeast(role, 'commenter'),
  moderateComments: (role: ProjectRole | null | undefined) => atLeast(role, 'editor'),
  manageMembers: (role: ProjectRole | null | undefined) => atLeast(role, 'owner'),
} as const;

export const ROLE_LABELS: Record<ProjectRole, string> = {
  owner: 'Owner',
  editor: 'Editor',
  commenter: 'Commenter',
  viewer: 'Viewer',
};

/** The stronger of two roles, e.g. a project role and a per-document share. */
export function strongest(a: ProjectRole | null | undefined, b: ProjectRole | null | undefined): ProjectRole | null {
  return roleRank(a) >= roleRank(b) ? (a ?? null) : (b ?? null);
}
