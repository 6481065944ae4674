// The thinnest anonymous page: rendered per request (as the app's /signin is), no data, no layout.
export const getServerSideProps = async () => ({ props: {} });

export default function SignIn() {
  return (
    <main>
      <h1>Sign in</h1>
      <form method="post">
        <label>
          E-mail <input name="email" type="email" />
        </label>
        <label>
          Password <input name="password" type="password" />
        </label>
        <button>Sign in</button>
      </form>
    </main>
  );
}
