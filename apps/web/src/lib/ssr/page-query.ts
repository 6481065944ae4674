// A protected page's data, read in the same request as the refresh that authenticates the page
// (issue 12: the render made two sequential API calls where one does). The API's AuthPayload has a
// `query` field: the schema's queries, read as the session the refresh has just granted. This module
// puts a page's query document under that field of the refresh mutation, once per document.
//
// `__typename` is added to every selection (as Apollo does to what it sends), so that the answer,
// written into the page's Apollo cache, is normalised exactly as if the page had queried it itself.
import { addTypenameToDocument } from '@apollo/client/utilities';
import { REFRESH_ACCESS_TOKEN } from '@app/shared';
import { Kind, parse, print, type DefinitionNode, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';

const REFRESH = parse(REFRESH_ACCESS_TOKEN);
const composed = new WeakMap<DocumentNode, string>();

/** The refresh mutation with `query { …the page's selections… }` under refreshAccessToken. */
export function refreshWithPageQuery(page: DocumentNode): string {
  let text = composed.get(page);
  if (text === undefined) {
    text = print(addTypenameToDocument(compose(page)));
    composed.set(page, text);
  }
  return text;
}

function compose(page: DocumentNode): DocumentNode {
  const operations = page.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const [query] = operations;
  // A page's data depends on who is asking, nothing else: one query, no variables.
  if (operations.length !== 1 || query!.operation !== 'query' || query!.variableDefinitions?.length) {
    throw new Error('A page query is one query operation without variables');
  }
  const [refreshOperation, ...refreshFragments] = REFRESH.definitions as [OperationDefinitionNode, ...DefinitionNode[]];
  const refreshField = refreshOperation.selectionSet.selections[0] as FieldNode;
  const queryField: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'query' }, selectionSet: query!.selectionSet };
  // One definition per fragment name. A page fragment may repeat one of the refresh's (UserFields)
  // but never redefine it: that would silently change what the refresh itself reads.
  const fragments = new Map<string, DefinitionNode>();
  for (const d of [...refreshFragments, ...page.definitions]) {
    if (d.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const known = fragments.get(d.name.value);
    if (known && print(known) !== print(d)) throw new Error(`A page query redefines fragment ${d.name.value}`);
    fragments.set(d.name.value, d);
  }
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...refreshOperation,
        selectionSet: {
          ...refreshOperation.selectionSet,
          selections: [
            {
              ...refreshField,
              selectionSet: { ...refreshField.selectionSet!, selections: [...refreshField.selectionSet!.selections, queryField] },
            },
          ],
        },
      },
      ...fragments.values(),
    ],
  };
}
