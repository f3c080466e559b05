// Comments on a document: one query module, one file per command. Routes, actions and tests import from here.
export { listComments, loadComment } from './queries';
export { createComment } from './createComment';
export { editComment, setThreadResolved, updateComment } from './updateComment';
export { deleteComment } from './deleteComment';
