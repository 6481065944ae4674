// The thinnest signed-in page with Apollo's hand-over (../apollo-page.tsx), on the one-statement exchange.
import { handOver } from '../apollo-page';

export { NotesWithApollo as default } from '../apollo-page';
export const getServerSideProps = handOver('refreshAccessToken');
