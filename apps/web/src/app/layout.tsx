import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SiteHeader } from "~/components/site-header";
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
          <SiteHeader />
          <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6">
            {children}
          </main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
