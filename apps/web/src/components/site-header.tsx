"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Nav } from "./nav";
import { SignOutButton } from "./sign-out-button";

/**
 * The header of every page. The sign-in page gets the name alone: its visitor cannot use the navigation yet
 * (every link would lead back to sign-in), and asking the server who is signed in would only be refused.
 */
export function SiteHeader() {
  const isSignIn = usePathname() === "/sign-in";
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
        {isSignIn ? (
          <span className="text-lg font-bold tracking-tight">LMStrix</span>
        ) : (
          <>
            <Link href="/models" className="flex items-baseline gap-2 text-lg font-bold tracking-tight">
              LMStrix
              <span className="hidden text-xs font-normal text-slate-500 sm:inline">
                context limits, measured
              </span>
            </Link>
            <Nav />
            <SignOutButton />
          </>
        )}
      </div>
    </header>
  );
}
