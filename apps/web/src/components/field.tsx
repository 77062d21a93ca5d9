import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";
import { hostLabel, type Reachability } from "~/lib/hosts";

export const INPUT_CLASS =
  "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 aria-[invalid=true]:border-red-500";

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** A smaller, quieter label, for a bar of filters. */
  compact?: boolean;
  /** Styles the whole field (label, control, notes), not the control. */
  className?: string;
}

/** What a control needs to be tied to its label, hint and error. */
interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** A label and a control with its hint and error wired to it (aria-describedby / aria-invalid). */
export function Field({
  label,
  hint,
  error,
  compact = false,
  className = "",
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label
        htmlFor={id}
        className={compact ? "text-xs font-medium text-slate-600" : "text-sm font-medium text-slate-800"}
      >
        {label}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function splitFieldProps<Props extends FieldProps>({
  label,
  hint,
  error,
  compact,
  className,
  ...rest
}: Props) {
  return [{ label, hint, error, compact, className }, rest] as const;
}

export function TextField(props: InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  const [field, input] = splitFieldProps(props);
  return <Field {...field}>{(control) => <input {...control} className={INPUT_CLASS} {...input} />}</Field>;
}

export function SelectField(props: SelectHTMLAttributes<HTMLSelectElement> & FieldProps) {
  const [field, select] = splitFieldProps(props);
  return (
    <Field {...field}>
      {(control) => <select {...control} className={`${INPUT_CLASS} pr-8`} {...select} />}
    </Field>
  );
}

/** A checkbox with its label beside it. */
export function CheckboxField({
  children,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { children: ReactNode }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-0.5 size-4 accent-slate-900" {...input} />
      <span>{children}</span>
    </label>
  );
}

/** One option per host, by id; a host known to be down says so. */
export function HostOptions({
  hosts,
}: {
  hosts: readonly { id: number; name: string; reachability?: Reachability }[] | undefined;
}) {
  return hosts?.map((host) => (
    <option key={host.id} value={host.id}>
      {hostLabel(host)}
    </option>
  ));
}
