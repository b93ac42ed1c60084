import type { UserInformation } from "../../../gen/booking/partner/v3/user_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkEmail, checkTelephone, checkText } from "./field-checks.js";
import { fieldLimits } from "./validation-limits.js";

const languageTag = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/**
 * Checks a UserInformation. With `requireContact`, the fields Google's definition marks required
 * (user_id, given_name, family_name, telephone, email) must all be present; otherwise only their shape
 * is checked. Messages name the field and the rule, never the value.
 */
export function validateUserInformation(
  out: FieldViolation[],
  path: string,
  user: UserInformation | undefined,
  requireContact: boolean,
): void {
  if (!user) {
    if (requireContact) out.push({ field: path, description: "is required" });
    return;
  }
  checkText(out, `${path}.user_id`, user.userId, { required: requireContact, maxChars: fieldLimits.idChars });
  checkText(out, `${path}.given_name`, user.givenName, { required: requireContact, maxChars: fieldLimits.nameChars });
  checkText(out, `${path}.family_name`, user.familyName, {
    required: requireContact,
    maxChars: fieldLimits.nameChars,
  });
  checkTelephone(out, `${path}.telephone`, user.telephone, requireContact);
  checkEmail(out, `${path}.email`, user.email, requireContact);
  if (user.languageCode !== "") {
    const before = out.length;
    checkText(out, `${path}.language_code`, user.languageCode, { maxChars: fieldLimits.languageCodeChars });
    if (out.length === before && !languageTag.test(user.languageCode)) {
      out.push({ field: `${path}.language_code`, description: "must be a BCP-47 language tag such as en-US" });
    }
  }
  const address = user.address;
  if (address) {
    const rule = { maxChars: fieldLimits.addressChars };
    checkText(out, `${path}.address.country`, address.country, rule);
    checkText(out, `${path}.address.locality`, address.locality, rule);
    checkText(out, `${path}.address.region`, address.region, rule);
    checkText(out, `${path}.address.postal_code`, address.postalCode, rule);
    checkText(out, `${path}.address.street_address`, address.streetAddress, { ...rule, multiline: true });
  }
}
