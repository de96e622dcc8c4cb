{{/* The release's name, or the chart's when the release is named after it. */}}
{{- define "console.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "console.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "console.labels" -}}
{{ include "console.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "console.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "console.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "console.stateNamespace" -}}
{{- default .Release.Namespace .Values.stateNamespace -}}
{{- end -}}

{{- define "console.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "console.sessionKeysSecret" -}}
{{- default (printf "%s-session-keys" (include "console.fullname" .)) .Values.sessions.existingSecret -}}
{{- end -}}

{{- define "console.accountsSecret" -}}
{{- default (printf "%s-accounts" (include "console.fullname" .)) .Values.accounts.existingSecret -}}
{{- end -}}

{{- define "console.hasAccounts" -}}
{{- if or .Values.accounts.list .Values.accounts.existingSecret -}}true{{- end -}}
{{- end -}}
