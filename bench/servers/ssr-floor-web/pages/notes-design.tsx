// The same page on this design's exchange (../../ssr-floor-api.ts, `refreshDesign`): the least a
// signed-in page of this design costs on this stack.
import { handOver } from '../apollo-page';

export { NotesWithApollo as default } from '../apollo-page';
export const getServerSideProps = handOver('refreshDesign');
