import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authSecret } from "../config";
import { AppError } from "../errors";
import { verifyCredentials } from "./verify-credentials";

// The only module that knows next-auth. Sessions are stateless JWTs carrying the user id.
export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/sign-in" },
  logger: {
    // next-auth logs failed sign-ins as errors with the submitted credentials' context; keep them out.
    error: (error) => {
      if (!(error instanceof CredentialsSignin)) console.error("[auth]", error.name, error.message);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        try {
          return await verifyCredentials(credentials);
        } catch (error) {
          if (error instanceof AppError && (error.code === "unauthorized" || error.code === "invalid_input")) return null;
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
});
