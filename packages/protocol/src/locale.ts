import type { ErrorCode } from './errors';

/** The languages Enclave speaks. Server error messages and the web client use the same list. */
export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

/**
 * Picks the best supported locale from an Accept-Language header or a browser language list.
 * Any Chinese variant reads Simplified Chinese, which is all we ship.
 */
export function pickLocale(preferences: string | readonly string[] | undefined): Locale {
  const list =
    typeof preferences === 'string'
      ? preferences
          .split(',')
          .map((part) => {
            const [tag = '', ...params] = part.trim().split(';');
            const q = params.find((p) => p.trim().startsWith('q='));
            return { tag: tag.trim(), weight: q ? Number(q.trim().slice(2)) || 0 : 1 };
          })
          .sort((a, b) => b.weight - a.weight)
          .map((entry) => entry.tag)
      : (preferences ?? []);
  for (const tag of list) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Human messages for every error code, in every locale; the type makes a missing translation a compile error. */
export const errorMessages: Record<Locale, Record<ErrorCode, string>> = {
  en: {
    VALIDATION_FAILED: 'The request is not valid.',
    MALFORMED_JSON: 'The request body is not valid JSON.',
    THREAD_ROOT_INVALID: 'A reply must answer a top-level message in the same room.',
    DM_MEMBERS_INVALID: 'A direct message is between you and exactly one other person.',
    UNAUTHENTICATED: 'Please sign in.',
    INVALID_CREDENTIALS: 'Wrong username or password.',
    FORBIDDEN: 'You are not allowed to do that.',
    ADMIN_REQUIRED: 'Only an administrator can do that.',
    ROUTE_NOT_FOUND: 'There is no such API endpoint.',
    ROOM_NOT_FOUND: 'The room does not exist or you are not a member.',
    USER_NOT_FOUND: 'The user does not exist.',
    SESSION_NOT_FOUND: 'The session does not exist.',
    USERNAME_TAKEN: 'That username is already taken.',
    ROOM_KIND_FORBIDS: 'This kind of room does not allow that.',
    LAST_OWNER: 'A room must keep at least one owner.',
    LAST_ADMIN: 'The organisation must keep at least one administrator.',
    CLIENT_ID_REUSED: 'This client id was already used for a message in another room.',
    BODY_TOO_LARGE: 'The request is too large.',
    UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json.',
    RATE_LIMITED: 'Too many attempts. Please wait and try again.',
    MESSAGE_NOT_FOUND: 'The message does not exist or you cannot see it.',
    NOT_MESSAGE_AUTHOR: 'Only the author can change this message.',
    MESSAGE_DELETED: 'The message has been deleted.',
    MENTION_ALL_FORBIDDEN: 'You may not mention everyone in this room.',
    ROOM_FROZEN: 'The room is frozen and read-only.',
    ROOM_NOT_FROZEN: 'Freeze the room before deleting it.',
    TOTP_REQUIRED: 'Enter the code from your authenticator app.',
    TOTP_INVALID: 'The code is wrong or has expired.',
    TOTP_ALREADY_ENABLED: 'Two-factor sign-in is already on.',
    TOTP_NOT_ENABLED: 'Two-factor sign-in is not on.',
    TOTP_ENROLMENT_REQUIRED: 'Your organisation requires two-factor sign-in. Set it up to continue.',
    USER_DISABLED: 'This account has been disabled.',
    DEPARTMENT_NOT_FOUND: 'The department does not exist.',
    DEPARTMENT_CYCLE: 'A department cannot be placed inside itself.',
    DEPARTMENT_NOT_EMPTY: 'Move the sub-departments and people out first.',
    LABEL_ABOVE_ROOM_CEILING: "The message's label is above this room's ceiling.",
    CLEARANCE_TOO_LOW: "This person's clearance is below the room's ceiling.",
    CEILING_BELOW_CONTENT: "The room holds messages labelled above that ceiling; confirm the downgrade to lower it.",
    LABEL_NOT_FOUND: "There is no such label.",
    LABEL_EXISTS: "A label with that id already exists.",
    MESSAGE_RECALLED: 'The message has been recalled.',
    RECALL_WINDOW_PASSED: 'It is too late to recall this message.',
    CONFIRMATION_REQUIRED: 'Please confirm who will receive this message before it is sent.',
    DLP_BLOCKED: 'This message was not sent: it breaks a data-protection rule.',
    DLP_HELD_FOR_REVIEW: 'This message is held for review by a compliance officer; it will be delivered if they release it.',
    DLP_PATTERN_INVALID: 'That pattern is not a valid regular expression for the rule engine.',
    DLP_RULE_NOT_FOUND: 'No such data-protection rule.',
    FORWARD_NOT_ALLOWED: 'This message may not be forwarded there.',
    NOT_ALLOWED_TO_RESTRICT: 'Only the sender or a room owner can restrict this message.',
    GUEST_NOT_ALLOWED: 'Guests cannot do that.',
    CLEARANCE_ABOVE_GUEST_MAXIMUM: 'A guest cannot be given a clearance that high.',
    COMPLIANCE_REQUIRED: 'Only a compliance officer can do that.',
    REVIEW_NOT_FOUND: 'No such held message.',
    REVIEW_ALREADY_DECIDED: 'This held message has already been released or rejected.',
    INVITE_NOT_FOUND: 'This invite link is not valid. Check that it was copied completely.',
    INVITE_EXPIRED: 'This invite has expired. Ask for a new one.',
    INVITE_USED_UP: 'This invite has already been used as many times as allowed. Ask for a new one.',
    INVITE_REVOKED: 'This invite has been withdrawn. Ask for a new one.',
    INVITE_REQUEST_NOT_FOUND: 'No such invite request.',
    INVITE_REQUEST_DECIDED: 'This invite request has already been approved or rejected.',
    FILE_EMPTY: 'The file is empty.',
    FILE_TOO_LARGE: 'The file is larger than your organisation allows.',
    FILE_TYPE_NOT_ALLOWED: 'Files of this type are not allowed here.',
    UPLOAD_TRUNCATED: 'The upload was cut off before the whole file arrived. Try again.',
    FILE_NAME_INVALID: 'The file name may not contain slashes or control characters.',
    FILE_NOT_FOUND: 'The file does not exist or you cannot see it.',
    FILE_NOT_ATTACHABLE: 'That file cannot be attached here: upload it into this room first.',
    DOWNLOAD_NOT_ALLOWED: 'This file is view-only: it can be viewed but not downloaded.',
    THUMBNAIL_NOT_AVAILABLE: 'This file has no preview.',
    PASSWORD_TOO_WEAK: 'That password is too easy to guess. Choose a longer one that is not a common password.',
    PASSWORD_INCORRECT: 'Your current password is not correct.',
    PASSWORD_CHANGE_REQUIRED: 'Choose a new password to continue.',
    INTERNAL: 'Something went wrong on the server. The error was logged.',
  },
  'zh-CN': {
    VALIDATION_FAILED: '请求无效。',
    MALFORMED_JSON: '请求内容不是有效的 JSON。',
    THREAD_ROOT_INVALID: '回复必须针对同一房间中的顶层消息。',
    DM_MEMBERS_INVALID: '私信只能在你和另一个人之间进行。',
    UNAUTHENTICATED: '请先登录。',
    INVALID_CREDENTIALS: '用户名或密码错误。',
    FORBIDDEN: '你无权执行此操作。',
    ADMIN_REQUIRED: '只有管理员可以执行此操作。',
    ROUTE_NOT_FOUND: '没有这个 API 接口。',
    ROOM_NOT_FOUND: '房间不存在，或你不是其成员。',
    USER_NOT_FOUND: '用户不存在。',
    SESSION_NOT_FOUND: '会话不存在。',
    USERNAME_TAKEN: '该用户名已被占用。',
    ROOM_KIND_FORBIDS: '此类房间不允许该操作。',
    LAST_OWNER: '房间必须至少保留一位所有者。',
    LAST_ADMIN: '组织必须至少保留一位管理员。',
    CLIENT_ID_REUSED: '此客户端 ID 已用于另一个房间中的消息。',
    BODY_TOO_LARGE: '请求内容过大。',
    UNSUPPORTED_MEDIA_TYPE: '请以 application/json 格式发送请求内容。',
    RATE_LIMITED: '尝试次数过多，请稍后再试。',
    MESSAGE_NOT_FOUND: '消息不存在，或你无权查看。',
    NOT_MESSAGE_AUTHOR: '只有发送者可以修改这条消息。',
    MESSAGE_DELETED: '该消息已被删除。',
    MENTION_ALL_FORBIDDEN: '你不能在此房间中提及所有人。',
    ROOM_FROZEN: '该房间已冻结，只能查看。',
    ROOM_NOT_FROZEN: '请先冻结房间，然后再删除。',
    TOTP_REQUIRED: '请输入身份验证器应用中的验证码。',
    TOTP_INVALID: '验证码错误或已过期。',
    TOTP_ALREADY_ENABLED: '两步验证已开启。',
    TOTP_NOT_ENABLED: '两步验证尚未开启。',
    TOTP_ENROLMENT_REQUIRED: '你的组织要求开启两步验证，请先完成设置。',
    USER_DISABLED: '该账号已被停用。',
    DEPARTMENT_NOT_FOUND: '部门不存在。',
    DEPARTMENT_CYCLE: '部门不能放在自身之下。',
    DEPARTMENT_NOT_EMPTY: '请先移出其下级部门和人员。',
    LABEL_ABOVE_ROOM_CEILING: '消息的密级高于此房间的上限。',
    CLEARANCE_TOO_LOW: '此人的密级权限低于房间的上限。',
    CEILING_BELOW_CONTENT: '房间中有高于该上限的消息；请确认降级后再降低上限。',
    LABEL_NOT_FOUND: '没有这个密级标签。',
    LABEL_EXISTS: '已存在相同 ID 的密级标签。',
    MESSAGE_RECALLED: '该消息已被撤回。',
    RECALL_WINDOW_PASSED: '已超过可撤回时间。',
    CONFIRMATION_REQUIRED: '发送前请确认这条消息的接收者。',
    DLP_BLOCKED: '消息未发送：违反了数据保护规则。',
    DLP_HELD_FOR_REVIEW: '消息已提交合规审核，审核通过后才会送达。',
    DLP_PATTERN_INVALID: '该模式不是规则引擎支持的正则表达式。',
    DLP_RULE_NOT_FOUND: '找不到该数据保护规则。',
    FORWARD_NOT_ALLOWED: '这条消息不允许转发到那里。',
    NOT_ALLOWED_TO_RESTRICT: '只有发送者或群主可以限制这条消息。',
    GUEST_NOT_ALLOWED: '访客不能执行此操作。',
    CLEARANCE_ABOVE_GUEST_MAXIMUM: '不能给访客这么高的密级权限。',
    COMPLIANCE_REQUIRED: '只有合规专员可以执行此操作。',
    REVIEW_NOT_FOUND: '找不到该待审消息。',
    REVIEW_ALREADY_DECIDED: '该待审消息已被放行或驳回。',
    INVITE_NOT_FOUND: '邀请链接无效，请确认链接已完整复制。',
    INVITE_EXPIRED: '此邀请已过期，请索取新的邀请。',
    INVITE_USED_UP: '此邀请的使用次数已满，请索取新的邀请。',
    INVITE_REVOKED: '此邀请已被撤销，请索取新的邀请。',
    INVITE_REQUEST_NOT_FOUND: '找不到该邀请申请。',
    INVITE_REQUEST_DECIDED: '该邀请申请已被批准或拒绝。',
    FILE_EMPTY: '文件是空的。',
    FILE_TOO_LARGE: '文件超过了组织允许的大小。',
    FILE_TYPE_NOT_ALLOWED: '此处不允许此类型的文件。',
    UPLOAD_TRUNCATED: '上传在文件传完之前中断了，请重试。',
    FILE_NAME_INVALID: '文件名不能包含斜杠或控制字符。',
    FILE_NOT_FOUND: '文件不存在，或您无权查看。',
    FILE_NOT_ATTACHABLE: '无法在此附加该文件：请先将其上传到此房间。',
    DOWNLOAD_NOT_ALLOWED: '此文件仅供查看：可以预览，但不能下载。',
    THUMBNAIL_NOT_AVAILABLE: '此文件没有预览。',
    PASSWORD_TOO_WEAK: '该密码太容易被猜到，请换一个更长且不常见的密码。',
    PASSWORD_INCORRECT: '当前密码不正确。',
    PASSWORD_CHANGE_REQUIRED: '请先设置新密码再继续。',
    INTERNAL: '服务器出错，错误已记录。',
  },
};
