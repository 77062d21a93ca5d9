import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Nav } from "~/components/nav";
import { SignOutButton } from "~/components/sign-out-button";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "LMStrix", template: "%s · LMStrix" },
  description: "How much context each local LLM can really use, measured on your machines.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <TRPCReactProvider>
          <header className="border-b border-slate-200 bg-white">
            <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
              <Link href="/models" className="flex items-baseline gap-2 text-lg font-bold tracking-tight">
                LMStrix
                <span className="hidden text-xs font-normal text-slate-500 sm:inline">
                  context limits, measured
                </span>
              </Link>
              <Nav />
              <SignOutButton />
            </div>
          </header>
          <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6">
            {children}
          </main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
